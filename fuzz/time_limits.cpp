// Times the programs the limits exist for (tests/native/test_limits.cpp asserts their answers;
// this measures them, since a shared machine's wall clock does not belong in a test):
//   g++ -std=c++20 -O2 -Icore/include -isystem build/native-release/third_party/include \
//       fuzz/time_limits.cpp build/native-release/liblogitlab_core.a -o /tmp/time_limits && /tmp/time_limits
#include <chrono>
#include <ctime>
#include <cstdio>
#include <string>
#include "logitlab/api.hpp"
using nlohmann::json;
static std::string rep(const std::string& s, size_t n){std::string o;o.reserve(s.size()*n);for(size_t i=0;i<n;++i)o+=s;return o;}
int main(){
  struct C{const char* name; std::string code;};
  C cs[]={{"randn(10**6,10**6)","import torch\nx = torch.randn(10**6, 10**6)\n"},
          {"100k parens","x = "+rep("(",100000)+"1"+rep(")",100000)+"\n"},
          {"1M lines x = 1","" + rep("x = 1\n",1000000)},
          {"10MB line 1+1+..","x = "+rep("1+",5000000)+"1\n"},
          {"10MB name","x = "+rep("a",10000000)+"\n"},
          {"10MB string","x = '"+rep("a",10000000)+"'\n"},
          {"10MB parens",rep("(",10000000)},
          {"1M-1 tokens a\\n","" + rep("a\n",524000)},
          {"100 softmax of 4M","x = torch.ones(2000, 2000)\n" + rep("y = F.softmax(x, dim=1)\n",100)}};
  for(auto& c: cs){
    json req={{"code",c.code}};
    auto t0=std::chrono::steady_clock::now(); std::clock_t c0=std::clock();
    json r=logitlab::run(req);
    double wall=std::chrono::duration<double>(std::chrono::steady_clock::now()-t0).count();
    double cpu=double(std::clock()-c0)/CLOCKS_PER_SEC;
    std::string e=r["error"].is_null()?"null":(r["error"]["type"].get<std::string>()+": "+r["error"]["message"].get<std::string>().substr(0,70));
    std::printf("%-22s wall %.3f s cpu %.3f s  %s\n",c.name,wall,cpu,e.c_str());
  }
}
